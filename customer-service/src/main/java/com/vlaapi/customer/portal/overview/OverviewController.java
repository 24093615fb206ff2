package com.vlaapi.customer.portal.overview;

import com.vlaapi.customer.customer.Customer;
import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.portal.InternalApi;
import com.vlaapi.customer.portal.account.PortalUser;
import com.vlaapi.servicecontract.error.ApiException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The portal's first page: usage against quota, cost so far and projected, the last 30 days, safety. */
@Controller
class OverviewController {

    private final CustomerService customers;
    private final InternalApi internal;

    OverviewController(CustomerService customers, InternalApi internal) {
        this.customers = customers;
        this.internal = internal;
    }

    @GetMapping({"/portal", "/portal/"})
    String overview(PortalUser user, Model model) {
        Customer customer = customers.get(user.customerId());
        model.addAttribute("user", user);
        model.addAttribute("customer", customer);
        try {
            BillingSummary billing = internal.billing(
                    "/internal/v1/customers/" + user.customerId() + "/billing-summary", BillingSummary.class);
            model.addAttribute("billing", billing);
            model.addAttribute("usage", Usage.of(billing.requests(), customer.monthlyQuota()));
            model.addAttribute("chart", DailyChart.of(billing.daily()));
        } catch (ApiException e) {
            model.addAttribute("billingError", e.error().message());
        }
        try {
            model.addAttribute("safety", internal.inference(
                    "/internal/v1/customers/" + user.customerId() + "/safety-summary", SafetySummary.class));
        } catch (ApiException e) {
            model.addAttribute("safetyError", e.error().message());
        }
        return "portal/overview";
    }
}
