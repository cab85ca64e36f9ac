"""Chinese words the file uploader shows or reads out in place of Streamlit's English ones
(pages/ui/upload.py, uploader_in_chinese); the button and the size line are in labels_upload."""

WORDS = {
    "drop": "将文件拖放到这里",
    "error": "错误：",
    "failed": "上传失败",
    "retry": "点击重新上传",
    "add": "添加文件",
    "remove": "移除 ",  # + the file's name
    "cancel": "取消上传 ",  # + the file's name
    "help": " 的说明",  # after the uploader's label
    "input": "上传文件",
}
