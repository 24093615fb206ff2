package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.ApiKey;
import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.apikey.IssuedApiKey;
import com.vlaapi.customer.apikey.RotatedApiKey;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/api-keys")
class ApiKeyAdminController {

    record IssueApiKeyRequest(String name, Long expiresInSeconds) {
    }

    record RotateApiKeyRequest(Long gracePeriodSeconds, String name, Long expiresInSeconds) {
    }

    record ChangeApiKeyRequest(Long expiresInSeconds) {
    }

    record ApiKeyList(List<ApiKey> apiKeys) {
    }

    private final ApiKeyService apiKeys;

    ApiKeyAdminController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** The body is optional: a key without a name or expiry is fine. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey issue(@PathVariable("customer_id") UUID customerId,
                       @RequestBody(required = false) IssueApiKeyRequest request) {
        IssueApiKeyRequest options = request != null ? request : new IssueApiKeyRequest(null, null);
        return apiKeys.issue(customerId, options.name(), options.expiresInSeconds());
    }

    @GetMapping
    ApiKeyList list(@PathVariable("customer_id") UUID customerId) {
        return new ApiKeyList(apiKeys.list(customerId));
    }

    @PatchMapping("/{key_id}")
    ApiKey change(@PathVariable("customer_id") UUID customerId, @PathVariable("key_id") UUID keyId,
                  @RequestBody ChangeApiKeyRequest request) {
        return apiKeys.changeExpiry(customerId, keyId, request.expiresInSeconds());
    }

    @PostMapping("/{key_id}/revoke")
    ApiKey revoke(@PathVariable("customer_id") UUID customerId, @PathVariable("key_id") UUID keyId) {
        return apiKeys.revoke(customerId, keyId);
    }

    /** The body is optional: by default the old key keeps working for a day. */
    @PostMapping("/{key_id}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    RotatedApiKey rotate(@PathVariable("customer_id") UUID customerId, @PathVariable("key_id") UUID keyId,
                         @RequestBody(required = false) RotateApiKeyRequest request) {
        RotateApiKeyRequest options = request != null ? request : new RotateApiKeyRequest(null, null, null);
        return apiKeys.rotate(customerId, keyId, options.gracePeriodSeconds(), options.name(),
                options.expiresInSeconds());
    }
}
