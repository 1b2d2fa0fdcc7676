/** HTTP client ({@code HttpSession}), bulk fetch ({@code BulkFetch}) and server ({@code WebApp}) patterns for Weft. */
package dev.weft.http;
