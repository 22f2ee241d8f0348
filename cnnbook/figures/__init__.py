"""Figures for the book: each module draws one kind of diagram with matplotlib.

- ``array_grids``: a small 2-D array drawn as a grid of numbered cells.
- ``conv_diagrams``: padding, convolution windows and pooling on such grids.
- ``image_grids``: photographs, filter responses and feature maps side by side.
- ``volume_diagrams``: 3-D activation volumes, a convolution over volumes, a stack of layers.
"""
from cnnbook.figures.array_grids import draw_array_grid
from cnnbook.figures.conv_diagrams import draw_convolution_windows, draw_padding, draw_pooling

__all__ = ["draw_array_grid", "draw_convolution_windows", "draw_padding", "draw_pooling"]
