"""Running the site: backing up and restoring its database."""
