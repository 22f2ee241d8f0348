"""What the book's pages compute, by concept: convolution arithmetic, network costs, receptive fields,
transposed convolutions, box geometry and detection precision, verification metrics, style statistics.
"""
