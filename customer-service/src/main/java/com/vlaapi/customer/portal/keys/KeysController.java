package com.vlaapi.customer.portal.keys;

import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.apikey.RotatedApiKey;
import com.vlaapi.customer.portal.account.Admins;
import com.vlaapi.customer.portal.account.PortalUser;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The customer's API keys: everyone sees them (prefix, dates, last use); admins create, revoke and
 * rotate. A new key is shown on the answer to the post that made it and nowhere else: it is not
 * kept in the session, and the page is not cached.
 */
@Controller
class KeysController {

    private final ApiKeyService apiKeys;

    KeysController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GetMapping("/portal/keys")
    String list(PortalUser user, Model model) {
        model.addAttribute("user", user);
        model.addAttribute("keys", apiKeys.list(user.customerId()));
        return "portal/keys";
    }

    @PostMapping("/portal/keys")
    @ResponseStatus(HttpStatus.CREATED)
    String create(PortalUser user, @RequestParam(defaultValue = "") String name, Model model) {
        Admins.require(user);
        model.addAttribute("user", user);
        model.addAttribute("issued", apiKeys.issue(user.customerId(), name, null));
        return "portal/new-key";
    }

    @PostMapping("/portal/keys/{keyId}/revoke")
    String revoke(PortalUser user, @PathVariable UUID keyId) {
        Admins.require(user);
        apiKeys.revoke(user.customerId(), keyId);
        return "redirect:/portal/keys";
    }

    /** @param graceSeconds how long the old key keeps working, so robots can switch without downtime */
    @PostMapping("/portal/keys/{keyId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    String rotate(PortalUser user, @PathVariable UUID keyId, @RequestParam(defaultValue = "86400") long graceSeconds,
                  Model model) {
        Admins.require(user);
        RotatedApiKey rotated = apiKeys.rotate(user.customerId(), keyId, graceSeconds, null, null);
        model.addAttribute("user", user);
        model.addAttribute("issued", rotated.newKey());
        model.addAttribute("retiring", rotated.oldKey());
        return "portal/new-key";
    }
}
