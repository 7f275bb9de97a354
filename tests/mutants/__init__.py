"""A fault-injecting proxy and the mutants it applies, to prove the suite fails broken servers."""
