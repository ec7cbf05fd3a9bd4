"""The pages, feeds and exports of a summit's programme. No view module imports another:
what two of them share is a domain read or a small HTTP helper beside this package."""
