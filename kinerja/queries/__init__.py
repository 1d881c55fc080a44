"""Read models: one function per page or export, no writes; never imports services/."""
