"""Text messages and what a bot does with them: send, edit, delete, callbacks, chat actions."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bots.telegram.standin import validation
from bots.telegram.standin.errors import bad_request

if TYPE_CHECKING:
    from bots.telegram.standin.params import Params
    from bots.telegram.standin.state import StandInState

JSONDict = dict[str, Any]
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def bot_sender(state: StandInState) -> JSONDict:
    """The bot as a message's `from`."""
    user = state.bot_user
    return {key: user[key] for key in ("id", "is_bot", "first_name", "username")}


def send_bot_message(
    state: StandInState,
    method: str,
    chat_id: int,
    params: Params,
    content: JSONDict | Callable[[], JSONDict],
) -> JSONDict:
    """Store what the bot sends (after reply and keyboard checks and flood control).

    `content` may be a function so that a file is stored only once the call is accepted.
    """
    markup = validation.reply_markup(params.json_value("reply_markup"))
    reply_to = _replied_message(state, chat_id, params.json_value("reply_parameters"))
    state.admit(method, chat_id)
    content = dict(content() if callable(content) else content)
    if reply_to is not None:
        content["reply_to_message"] = reply_to
    # A Message only carries inline keyboards; reply keyboards live on the person's phone.
    if markup and markup.get("inline_keyboard"):
        content["reply_markup"] = markup
    return state.chats.add_message(chat_id, bot_sender(state), content)


def _replied_message(state: StandInState, chat_id: int, reply: Any) -> JSONDict | None:
    """The message a reply_parameters points at, or 400 when it is gone."""
    if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
        return None
    target = state.chats.message(chat_id, reply["message_id"])
    if target is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    target = copy.deepcopy(target)
    target.pop("reply_to_message", None)  # Telegram nests only one level
    return target


def send_message(state: StandInState, params: Params) -> JSONDict:
    """sendMessage."""
    chat_id = params.chat_id()
    state.chats.chat(chat_id)
    text, entities = validation.formatted_text(
        params.string("text"), params.string("parse_mode"), params.json_value("entities")
    )
    content: JSONDict = {"text": text}
    if entities:
        content["entities"] = entities
    return send_bot_message(state, "sendMessage", chat_id, params, content)


def _editable(state: StandInState, params: Params) -> tuple[int, JSONDict]:
    """The bot's own message an edit targets."""
    if params.string("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat_id = params.chat_id()
    state.chats.chat(chat_id)
    message = state.chats.message(chat_id, params.message_id())
    if message is None:
        raise bad_request("message to edit not found")
    if (message.get("from") or {}).get("id") != state.bot_user["id"]:
        raise bad_request("message can't be edited")
    return chat_id, message


def _inline_markup(params: Params) -> JSONDict | None:
    """The new inline keyboard of an edit; an absent or empty one removes the keyboard."""
    markup = validation.reply_markup(params.json_value("reply_markup"), inline_only=True)
    return markup if markup and markup["inline_keyboard"] else None


def _apply(message: JSONDict, key: str, value: Any) -> None:
    """Set a message field, or remove it when the new value is empty."""
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def edit_message_text(state: StandInState, params: Params) -> JSONDict:
    """editMessageText: without reply_markup the inline keyboard goes, as in Telegram."""
    chat_id, message = _editable(state, params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    text, entities = validation.formatted_text(
        params.string("text"), params.string("parse_mode"), params.json_value("entities")
    )
    markup = _inline_markup(params)
    if (
        text == message["text"]
        and entities == message.get("entities", [])
        and markup == message.get("reply_markup")
    ):
        raise bad_request(_NOT_MODIFIED)
    state.admit("editMessageText", chat_id)
    message["text"] = text
    _apply(message, "entities", entities)
    _apply(message, "reply_markup", markup)
    message["edit_date"] = int(time.time())
    return copy.deepcopy(message)


def edit_message_reply_markup(state: StandInState, params: Params) -> JSONDict:
    """editMessageReplyMarkup: replace or remove the inline keyboard."""
    _, message = _editable(state, params)
    markup = _inline_markup(params)
    if markup == message.get("reply_markup"):
        raise bad_request(_NOT_MODIFIED)
    _apply(message, "reply_markup", markup)
    message["edit_date"] = int(time.time())
    return copy.deepcopy(message)


def delete_message(state: StandInState, params: Params) -> bool:
    """deleteMessage: in a private chat the bot may delete both sides' messages."""
    chat_id = params.chat_id()
    state.chats.chat(chat_id)
    if not state.chats.delete(chat_id, params.message_id()):
        raise bad_request("message to delete not found")
    return True


def answer_callback_query(state: StandInState, params: Params) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    validation.callback_answer_text(params.string("text"))
    query_id = params.string("callback_query_id") or ""
    if not state.chats.answer_query(query_id):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    return True


def send_chat_action(state: StandInState, params: Params) -> bool:
    """sendChatAction: 'typing…' and friends."""
    chat_id = params.chat_id()
    state.chats.chat(chat_id)
    validation.chat_action(params.string("action"))
    return True


METHODS = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
}
