"""The package itself: what importing it sets up before any stage loads torch."""

import os
import subprocess
import sys

import pytest

# after ``import claimcheck``: torch not yet loaded, and the wait policy OpenMP will read
PROBE = ("import os, sys, claimcheck; print('torch' in sys.modules, "
         "os.environ.get('OMP_WAIT_POLICY'))")


@pytest.mark.parametrize("given, expected", [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_openmp_threads_sleep_unless_the_user_chose(given, expected):
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given is not None:
        env["OMP_WAIT_POLICY"] = given
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["False", expected]
