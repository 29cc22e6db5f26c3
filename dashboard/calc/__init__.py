"""Pure calculations behind the pages: no database, no Dash; every input is a DataFrame or value."""
