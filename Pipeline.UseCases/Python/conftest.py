"""Lets pytest import the use cases of this folder and the pipeline_use_case module the service ships with them."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "..", "Pipeline.Core", "UseCases", "Python")]
