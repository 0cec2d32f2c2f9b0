/// What each setting means, for the JSON Schema's descriptions (`evoform schema`). The documented
/// create-payload fields quote the Evolution API documentation ("Create Instance", Explanation of
/// Parameters); the others describe the real server's option. The switch is exhaustive, so a new
/// setting cannot be added without its description.
extension ManifestField {
    var documentation: String {
        switch self {
        case .instanceName:
            "Name of the instance to be created. The Instance Name will be used to refer to which connection you want "
                + "to send the endpoints. If using ChatWoot™, the Instance Name will also be used when creating the "
                + "Inbox. Special characters are not allowed. Use only non-accented lowercase alphabetic characters or "
                + "numbers. Required and unique within the manifest; a new name is a new instance (the old one is deleted)."
        case .token:
            "Your instance apikey. This will be your instance's unique code, which will be used as an authentication "
                + "key when sending endpoints. If not informed, a random UUID key will be created. Special characters are "
                + "not allowed. Use only non-accented (upper or lower case) alphabetic characters, numbers or hyphens. "
                + "A secret: write it as ${VAR} so the file is safe to commit. Changing it replaces the instance (the "
                + "phone must pair again). Not allowed in defaults: each instance needs its own."
        case .qrcode:
            "Does it generate the QRCode automatically? Accepted values are true or false. Used only when the "
                + "instance is created."
        case .integration:
            "The v2 create payload's integration. evoform manages WhatsApp Baileys instances, so the only value "
                + "accepted is \"WHATSAPP-BAILEYS\" (what it creates anyway)."
        case .webhookURL:
            "Webhook URL to receive event data (an absolute http or https URL). Only use when you want to store or "
                + "manage texts and media received in conversations. If you don't need it, you can delete this parameter."
        case .webhookEnabled:
            "Whether the webhook sends events. Given a URL, the webhook is enabled unless this is false."
        case .webhookByEvents:
            "Want to generate a specific Webhook URL for each of your events? Accepted values are true or false. "
                + "If you have not informed the Webhook parameter, there is no need to inform this parameter "
                + "(evoform: it needs a webhook URL)."
        case .webhookBase64:
            "Send media in webhook events as base64. Needs a webhook URL."
        case .events:
            "List of events to be processed. If you don't want to use some of these events, just remove them from "
                + "the list. If you have not informed the Webhook parameter, there is no need to inform this parameter "
                + "(evoform: it needs a webhook URL). The order does not matter, a name may appear once, and [] means "
                + "every event; each name must be known by the server's version (see server.apiVersion)."
        case .chatwootAccountID:
            "Your ChatWoot Account ID: a whole number of 1 or more (or a string of digits). Only inform if you are "
                + "installing with ChatWoot™. chatwoot_account_id, chatwoot_token and chatwoot_url come together or "
                + "not at all."
        case .chatwootToken:
            "Your Access Token, which must be obtained from your ChatWoot™ installation. Only inform if you are "
                + "installing with ChatWoot™. A secret: write it as ${VAR} so the file is safe to commit."
        case .chatwootURL:
            "Installation URL of your ChatWoot™ (an absolute http or https URL). Only inform if you are installing "
                + "with ChatWoot™."
        case .chatwootSignMsg:
            "Do you want messages to be signed with the Attendant's name? Accepted values are true or false. Only "
                + "inform if you are installing with ChatWoot™."
        case .chatwootReopenConversation:
            "Reopen the contact's resolved Chatwoot conversation when a new message arrives, instead of starting "
                + "another. Needs the three Chatwoot settings (account id, token, URL)."
        case .chatwootConversationPending:
            "Open new Chatwoot conversations as pending. Needs the three Chatwoot settings."
        case .chatwootNameInbox:
            "The name of the Chatwoot inbox (the server uses the instance name when it is not given). Needs the "
                + "three Chatwoot settings."
        case .chatwootImportContacts:
            "Import the WhatsApp contacts into Chatwoot. Needs the three Chatwoot settings."
        case .chatwootImportMessages:
            "Import the WhatsApp message history into Chatwoot. Needs the three Chatwoot settings."
        case .chatwootDaysLimitImportMessages:
            "How many days of messages to import into Chatwoot: a whole number, 0 or more. Needs the three Chatwoot "
                + "settings."
        case .chatwootMergeBrazilContacts:
            "Merge Brazilian contacts whose numbers differ only by the ninth digit. Needs the three Chatwoot settings."
        case .rejectCall:
            "Reject incoming WhatsApp calls."
        case .msgCall:
            "The message sent to a caller whose call is rejected."
        case .groupsIgnore:
            "Ignore messages from groups."
        case .alwaysOnline:
            "Keep the WhatsApp presence online."
        case .readMessages:
            "Mark incoming messages as read."
        case .readStatus:
            "Mark contacts' status updates as seen."
        case .syncFullHistory:
            "Ask WhatsApp for the full message history when the phone pairs."
        case .preventDestroy:
            "When true, a plan that would delete or replace this instance stops with an error instead."
        case .ignoreChanges:
            "Fields whose differences are ignored once the instance exists: a group (qrcode, token, webhook, "
                + "chatwoot, settings) or a field such as \"webhook.url\" or \"settings.msgCall\"."
        }
    }
}
