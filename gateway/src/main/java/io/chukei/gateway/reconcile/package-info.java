/** {@code chukei reconcile}: relay journals, card management's applied-request export and connector records compared by request. */
package io.chukei.gateway.reconcile;
