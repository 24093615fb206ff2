package com.vlaapi.testsupport.service;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * A clean-up after a test class whose context @DirtiesContext closes: it must run once the
 * application and its connections are gone. "After" callbacks run in reverse order, so the highest
 * precedence makes it run last.
 */
public abstract class AfterContextClosed implements TestExecutionListener, Ordered {

    @Override
    public final int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public final void afterTestClass(TestContext testContext) {
        cleanUp();
    }

    protected abstract void cleanUp();
}
