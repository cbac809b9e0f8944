//! Atlassian Document Format: markdown to ADF for writes, ADF to markdown for reads.
