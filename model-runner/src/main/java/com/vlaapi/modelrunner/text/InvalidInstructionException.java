package com.vlaapi.modelrunner.text;

import com.vlaapi.modelrunner.ModelRunnerException;

/** Codes: {@link Code#EMPTY_INSTRUCTION}, {@link Code#INSTRUCTION_TOO_LONG}. */
public final class InvalidInstructionException extends ModelRunnerException {

    public InvalidInstructionException(Code code, String message) {
        super(code, message);
    }
}
