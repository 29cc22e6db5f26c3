"""Extract, validate, normalise and load partners' monthly workbooks into the warehouse."""
