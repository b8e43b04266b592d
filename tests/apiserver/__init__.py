"""Tests of apiserver."""
