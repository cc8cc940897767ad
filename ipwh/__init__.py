"""Jingzhou IP statistics warehouse."""

__version__ = "0.1.0"
