"""The table of Student's t quantiles is SciPy's values, digit for digit."""

import numpy as np
import pytest
from scipy.special import stdtrit

from sim.results.summary import t_quantile
from sim.results.t_quantiles import MAX_DOF, T_QUANTILES


@pytest.mark.parametrize("p", sorted(T_QUANTILES))
def test_every_tabulated_quantile_is_scipys(p):
    """Each tabulated quantile equals scipy.special.stdtrit exactly (the summaries stay byte-identical)."""
    dof = np.arange(1, MAX_DOF + 1)
    assert len(T_QUANTILES[p]) == MAX_DOF
    assert np.array_equal(np.asarray(T_QUANTILES[p]), stdtrit(dof, p))


@pytest.mark.parametrize("dof", [1, 9, MAX_DOF, MAX_DOF + 1, 2.5, np.array([1, 30, 250])])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99, 0.8])
def test_t_quantile_gives_scipys_value_in_and_out_of_the_table(confidence, dof):
    """t_quantile returns stdtrit's value and type whether the table holds it or SciPy is asked."""
    p = (1 + confidence) / 2
    got, want = t_quantile(p, dof), stdtrit(dof, p)
    assert np.array_equal(got, want) and type(got) is type(want)
