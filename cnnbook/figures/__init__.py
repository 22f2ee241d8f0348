"""Figures for the book: each module draws one kind of diagram with matplotlib.

- ``architecture_diagrams``: residual, Inception, separable and inverted residual blocks; ways to scale a network.
- ``array_grids``: a small 2-D array drawn as a grid of numbered cells.
- ``classification_plots``: how a classifier errs, as a confusion matrix of true against predicted classes.
- ``connection_diagrams``: which inputs each output of a 1-D layer reads, a dense layer against a convolution.
- ``conv_diagrams``: padding, convolution windows and pooling on such grids.
- ``detection_diagrams``: labelled boxes on an image, grid cells, anchor boxes, overlaps, sliding windows.
- ``embedding_plots``: a siamese network, the triplet hinge, distance histograms, ROC curves, 2-D maps.
- ``flow_diagrams``: pipelines as rows of boxes joined by arrows, such as the stages of the R-CNN detectors.
- ``image_grids``: photographs, filter responses and feature maps side by side.
- ``segmentation_maps``: class masks in colour, a legend of the classes, and an image beside its mask.
- ``training_curves``: a Keras training history as loss and accuracy per epoch, training beside validation.
- ``unet_diagrams``: the U-Net's activation shapes, and a diagram of its paths, bottleneck and skips.
- ``upsampling_diagrams``: a transposed convolution drawn as stamps of the filter on the output.
- ``volume_diagrams``: 3-D activation volumes, a convolution over volumes, a stack of layers.

Used by: solutions/w1a1_conv_numpy/w1a1_conv_numpy.ipynb
"""

from cnnbook.figures.array_grids import draw_array_grid
from cnnbook.figures.conv_diagrams import draw_convolution_windows, draw_padding, draw_pooling

__all__ = ["draw_array_grid", "draw_convolution_windows", "draw_padding", "draw_pooling"]
