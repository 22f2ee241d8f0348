"""The performance harness behind `make bench`."""
