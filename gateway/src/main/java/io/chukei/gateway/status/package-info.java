/** The admin listener's live status page ({@code /}), its data ({@code /status.json}) and the caller's role ({@code /whoami}). */
package io.chukei.gateway.status;
