package com.vlaapi.servicecontract.servlet;

import com.vlaapi.servicecontract.InternalToken;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Which token guards which part of an admin service's API: {@code /admin/**} the operators' token,
 * {@code /internal/**} the credentials of the callers the service's {@link InternalApiCallers} names,
 * per path where it names some. Actuator endpoints stay open for scrapers and probes.
 * customer-service and billing-service import this on their application class.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessTokens.class)
public class AccessTokensConfiguration implements WebMvcConfigurer {

    private final AccessTokens tokens;
    private final InternalApiCallers internalApiCallers;

    AccessTokensConfiguration(AccessTokens tokens, InternalApiCallers internalApiCallers) {
        this.tokens = tokens;
        this.internalApiCallers = internalApiCallers;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminTokenInterceptor(tokens)).addPathPatterns("/admin/**");
        InternalToken internal = tokens.internal();
        // A path with callers of its own is excluded from the default's, so exactly one set applies to each endpoint.
        registry.addInterceptor(new InternalTokenInterceptor(internal, internalApiCallers.callers()))
                .addPathPatterns("/internal/**").excludePathPatterns(List.copyOf(internalApiCallers.byPath().keySet()));
        internalApiCallers.byPath().forEach((pattern, callers) ->
                registry.addInterceptor(new InternalTokenInterceptor(internal, callers)).addPathPatterns(pattern));
    }
}
