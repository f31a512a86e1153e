"""Everything channel-specific: how each channel renders the assistant's messages.

The actions send channel-neutral messages (text, buttons, custom payloads such as
`sources` and `table`); `rendering` turns them into what each channel shows. The widget
renders in the browser (widget/), with the same rules.
"""
