"""A RAK's costs against its pagu."""
