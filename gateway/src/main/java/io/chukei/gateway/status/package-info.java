/** The admin listener's live status page ({@code /}) and its data ({@code /status.json}); read-only. */
package io.chukei.gateway.status;
