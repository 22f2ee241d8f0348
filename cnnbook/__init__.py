"""The course's helper library: visible checks, figures, data loaders and models used by notebooks and the book."""
