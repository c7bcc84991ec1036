/** {@code chukei conformance}: a scripted relay that drives a vendor's connector through the protocol's rare paths and judges it. */
package io.chukei.gateway.conformance;
