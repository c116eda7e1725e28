//! Placeholder: turning the words after an option into a request value.
