"""Catalogues of plausible wrong (and alternative right) implementations of the graded functions.

``variants`` holds the registry machinery; each assignment has a module of variants, e.g.
``tests.catalogue.w1a1_conv_numpy``. The tests check that hidden tests reject every mistake and
accept every alternative, and that the visible checks catch the mistakes they can see.
"""
