"""Steps 5, 6, 9: website evaluation, security incidents, eligibility."""

import numpy as np

from wfscore.engine.rules import eligibility, security_incident, website_evaluation


def test_website_evaluation_replaces_overridden_scores():
    score = np.array([[5.0, 6.0], [7.0, 8.0]])
    effective = np.array([[60.0, 30.0], [60.0, 30.0]])
    overridden = np.array([[True, True], [False, False]])
    got = website_evaluation(score, effective, overridden, np.array([85.0, np.nan]))
    np.testing.assert_allclose(got, [[51.0, 25.5], [7.0, 8.0]])


def test_security_incident_zeroes_only_its_indicators_of_departments_with_incidents():
    score = np.ones((3, 4))
    got, zeroed = security_incident(score, np.array([0, 1, 2]), np.array([False, True, True, False]))
    assert got.tolist() == [[1, 1, 1, 1], [1, 0, 0, 1], [1, 0, 0, 1]]
    assert zeroed.sum() == 4


def test_major_incident_disqualifies():
    major = np.array([False, True])
    assert eligibility(major, "disqualify").tolist() == [True, False]
    assert eligibility(major, "none").tolist() == [True, True]
