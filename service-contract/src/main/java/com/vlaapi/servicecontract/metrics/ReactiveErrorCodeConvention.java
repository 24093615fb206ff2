package com.vlaapi.servicecontract.metrics;

import com.vlaapi.servicecontract.error.ApiError;
import io.micrometer.common.KeyValues;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/** {@link ErrorCodeTag} for the reactive gateway: the error its error writer left on the exchange. */
public class ReactiveErrorCodeConvention extends DefaultServerRequestObservationConvention {

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        return super.getLowCardinalityKeyValues(context)
                .and(ErrorCodeTag.of(context.getAttributes().get(ApiError.ATTRIBUTE)));
    }

    /** The full URL is for traces, and nothing here traces: not worth building at start and stop of every request. */
    @Override
    public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
        return KeyValues.empty();
    }
}
