package com.vlaapi.gateway.routing;

import java.util.List;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Takes Spring Cloud Gateway's own header filters out: UpstreamRequestHeaders and
 * UpstreamResponseHeaders do their work in one pass. Each of these copied every header of every
 * request (about a tenth of the gateway's CPU per request, docs/benchmarks.md), and the gateway
 * offers no setting to turn them off. The X-Forwarded and Forwarded filters that would add
 * headers are off by configuration (application.yml).
 */
@Configuration(proxyBeanMethods = false)
class HeaderFilterReplacement {

    /**
     * The gRPC pair handles trailers of gRPC over HTTP/2, which nothing here serves. Netty's decoder
     * already drops a Content-Length sent with Transfer-Encoding, which the normalization filter checked.
     */
    static final List<String> REPLACED = List.of("removeHopByHopHeadersFilter", "removeForwardedHeadersFilter",
            "removeXForwardedHeadersFilter", "transferEncodingNormalizationHeadersFilter",
            "gRPCRequestHeadersFilter", "gRPCResponseHeadersFilter");

    @Bean
    static BeanDefinitionRegistryPostProcessor withoutSpringHeaderFilters() {
        return registry -> REPLACED.stream()
                .filter(registry::containsBeanDefinition)
                .forEach(registry::removeBeanDefinition);
    }
}
