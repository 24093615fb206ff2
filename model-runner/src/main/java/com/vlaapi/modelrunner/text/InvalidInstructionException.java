package com.vlaapi.modelrunner.text;

import com.vlaapi.modelrunner.ModelRunnerException;

/** Codes: {@code empty_instruction}, {@code instruction_too_long}. */
public final class InvalidInstructionException extends ModelRunnerException {

    public InvalidInstructionException(String code, String message) {
        super(code, message);
    }
}
