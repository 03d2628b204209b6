"""One module per kind of source; each turns a file into a `SourceResult`."""
