package com.vlaapi.referencepolicy;

import java.nio.file.Path;

/** The committed tabletop-v1 bundle and its held-out set; Maven runs tests in the module's directory. */
public final class ReferencePolicyFiles {

    public static final Path BUNDLES = Path.of("bundles");
    public static final Path BUNDLE = BUNDLES.resolve("tabletop-v1");
    public static final Path EVAL_SET = Path.of("evalsets/tabletop-v1");

    private ReferencePolicyFiles() {
    }
}
