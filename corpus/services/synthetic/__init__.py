"""The synthetic corpus of the benchmarks: ``generate`` writes one, ``delete_synthetic`` removes it."""

from corpus.services.synthetic.generator import GENERATOR_VERSION, PREFIX, delete_synthetic, generate

__all__ = ["GENERATOR_VERSION", "PREFIX", "delete_synthetic", "generate"]
