"""Teaching the text model what this shop's customers buy together ("Learn from my sales")."""
