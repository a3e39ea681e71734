"""hsvalidate: the validation workshop of an M&E framework, run offline on one laptop."""

__version__ = "0.1.0"
