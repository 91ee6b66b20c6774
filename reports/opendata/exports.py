"""Imports every module that registers a dataset, in the order /datos/ lists them."""
