"""Distillery's Python worker: training and model export.

Keep this module import-light: importing ``distillery_worker`` must not import torch.
"""

__version__ = "0.1.0"
