"""Peewee models, one module per area. Import a model from its area module."""
