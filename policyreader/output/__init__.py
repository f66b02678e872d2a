"""Writing results: the content-addressed object store, atomic publish of _site/, the offline zip."""
