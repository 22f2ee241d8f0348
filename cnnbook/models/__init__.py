"""The course's small pretrained networks: architectures, shipped weights and their loaders."""
