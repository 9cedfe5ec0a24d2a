# bash completion for mamori (written later in this session)
