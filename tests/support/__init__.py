"""Helpers shared by several test modules: strategies of the tests own, oracles, hostile cases."""
