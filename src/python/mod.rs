//! The pyo3 module (filled by the Python issue).
