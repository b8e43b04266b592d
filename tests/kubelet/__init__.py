"""Tests of kubelet."""
