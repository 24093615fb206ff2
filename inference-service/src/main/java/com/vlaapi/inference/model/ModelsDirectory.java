package com.vlaapi.inference.model;

import java.nio.file.Path;

/**
 * The directory the served bundles were loaded from, for what reads a bundle beyond what
 * model-runner exposes (the model contract's descriptions).
 */
public record ModelsDirectory(Path path) {
}
