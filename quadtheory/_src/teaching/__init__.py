"""Teaching: the course's exercises, checked by the toolkit; the list of notebooks; the
documentation site."""
